import { z } from "zod";

// Runs before any other code of the console in the browser. zod compiles its object parsers
// with `new Function` after probing for it; under the console's CSP (no 'unsafe-eval') that
// probe is reported as a violation even though zod catches it. Parse without compiling.
z.config({ jitless: true });
