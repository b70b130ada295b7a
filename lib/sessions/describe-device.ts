/**
 * "Firefox on Linux", "Chrome on Android", "curl": enough for a person to
 * recognise their own sessions. User agents are what the client claims; this
 * is a label, never a security decision, so a rough reading is the point
 * (no parser dependency for it).
 */
export function describeDevice(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").trim();
  if (!ua) return "Unknown device";
  const tool = /^(curl|Wget|python-requests|node-fetch|undici|Go-http-client|runops)[/ ]/i.exec(ua);
  if (tool?.[1]) return tool[1];
  const browser = BROWSERS.find(([, re]) => re.test(ua))?.[0];
  const system = SYSTEMS.find(([, re]) => re.test(ua))?.[0];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? ua.slice(0, 60);
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux".
const BROWSERS: [string, RegExp][] = [
  ["Edge", /\bEdg(e|A|iOS)?\//],
  ["Opera", /\bOPR\//],
  ["Firefox", /\b(Firefox|FxiOS)\//],
  ["Chrome", /\b(HeadlessChrome|Chrome|CriOS|Chromium)\//],
  ["Safari", /\bVersion\/[\d.]+.*\bSafari\//],
];

const SYSTEMS: [string, RegExp][] = [
  ["Android", /\bAndroid\b/],
  ["iOS", /\b(iPhone|iPad|iPod)\b/],
  ["Windows", /\bWindows\b/],
  ["macOS", /\bMac OS X\b/],
  ["ChromeOS", /\bCrOS\b/],
  ["Linux", /\bLinux\b/],
];
