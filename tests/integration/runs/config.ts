/** The .upsun/config.yaml the run integration tests deploy. */
export const RUNS_CONFIG = `
applications:
  web:
    source:
      root: app
    variables:
      env:
        GREETING: hello there
    operations:
      hello:
        role: viewer
        commands:
          start: |
            echo "hi from $PLATFORM_APPLICATION_NAME"
            pwd
            echo "$PLATFORM_ENVIRONMENT|$PLATFORM_ENVIRONMENT_TYPE|$PLATFORM_BRANCH|$PLATFORM_PROJECT|$PLATFORM_APP_DIR"
            echo "$GREETING"
            if [ -z "$DATABASE_URL$NEXTAUTH_SECRET" ]; then echo "no server secrets"; fi
      fails:
        commands:
          start: 'echo working; echo "it broke" >&2; exit 3'
      interleave:
        # Two pipes have no common order: what is kept is the order the reads happened.
        # The pauses are wider than scheduling noise on a loaded 2-core CI machine.
        commands:
          start: |
            for i in 1 2 3 4 5; do
              echo "out $i"; sleep 0.2
              echo "err $i" >&2; sleep 0.2
            done
      gated:
        commands:
          start: 'echo waiting; while [ ! -f "$PLATFORM_APP_DIR/release" ]; do sleep 0.02; done; echo released'
      gated-other:
        commands:
          start: 'echo waiting; while [ ! -f "$PLATFORM_APP_DIR/release-other" ]; do sleep 0.02; done; echo released'
      stubborn:
        commands:
          start: |
            trap '' TERM
            echo "pgid $$"
            sleep 1000 &
            sh -c 'trap "" TERM; sleep 1000; echo never' &
            echo ready
            wait
          stop: 'echo "stop command ran"'
      polite:
        commands:
          start: 'echo ready; exec sleep 1000'
      slow:
        timeout: 1
        commands:
          start: 'echo started; sleep 30'
      big:
        commands:
          start: 'head -c 600000 /dev/urandom > big.bin; cat big.bin'
      huge:
        commands:
          start: "head -c 1500000 /dev/zero | tr '\\\\0' x"
      admin-only:
        role: admin
        commands:
          start: 'echo secret'
`;
