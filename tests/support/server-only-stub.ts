// Vitest runs lib/ outside React's server environment, where the real
// "server-only" package throws on import. The marker has no behaviour to test.
export {};
