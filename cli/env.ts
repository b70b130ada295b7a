/**
 * Environment variables as the CLI reads them. Not NodeJS.ProcessEnv: the
 * project's type augmentations (Next.js) make some keys required there, and
 * tests pass small literal environments.
 */
export type Env = Readonly<Record<string, string | undefined>>;
