import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Prisma driver packages must be loaded by Node, not bundled (ssh2 has a native addon).
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "ssh2",
  ],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
