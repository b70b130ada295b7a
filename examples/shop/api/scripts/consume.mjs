// The queue worker's own process (not an operation): present so the demo config is realistic.
setInterval(() => {}, 60_000);
