/**
 * The actions the audit log records, grouped as the console's filter offers
 * them ("run.*" matches every run action). Project events have a projectId;
 * instance-wide ones (sign-ins, accounts, tokens) have none.
 */
export const AUDIT_ACTION_GROUPS: { label: string; prefix: string; actions: string[] }[] = [
  { label: "Runs", prefix: "run.*", actions: ["run.triggered", "run.cancelled"] },
  {
    label: "Members",
    prefix: "member.*",
    actions: ["member.added", "member.role_changed", "member.removed"],
  },
  {
    label: "Invitations",
    prefix: "invitation.*",
    actions: ["invitation.created", "invitation.revoked"],
  },
  {
    label: "Environments",
    prefix: "environment.*",
    actions: [
      "environment.created",
      "environment.deployed",
      "environment.deploy_refused",
      "environment.paused",
      "environment.resumed",
      "environment.deleted",
      "environment.host_key_pinned",
    ],
  },
  {
    label: "Project",
    prefix: "project.*",
    actions: [
      "project.created",
      "project.renamed",
      "project.key_created",
      "project.key_rotation_started",
      "project.key_rotated",
    ],
  },
  { label: "Access", prefix: "access.*", actions: ["access.denied"] },
];

export const INSTANCE_AUDIT_ACTION_GROUPS: typeof AUDIT_ACTION_GROUPS = [
  { label: "Sign-in", prefix: "auth.*", actions: ["auth.signin_failed"] },
  {
    label: "Accounts",
    prefix: "user.*",
    actions: [
      "user.signed_up",
      "user.password_changed",
      "user.password_change_failed",
      "user.session_revoked",
      "user.renamed",
      "user.instance_admin_granted",
      "user.instance_admin_revoked",
    ],
  },
  { label: "API tokens", prefix: "token.*", actions: ["token.created", "token.revoked"] },
  { label: "Instance", prefix: "instance.*", actions: ["instance.setup"] },
  { label: "Access", prefix: "access.*", actions: ["access.denied"] },
];
