import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/query-provider";
import "./globals.css";

export const metadata: Metadata = { title: "runops", description: "Runtime operations console" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
