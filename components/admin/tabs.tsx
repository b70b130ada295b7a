import Link from "next/link";

/** A row of links between the pages of one area; the current one is marked for assistive technology. */
export function Tabs({
  label,
  items,
  current,
}: {
  label: string;
  items: { href: string; label: string }[];
  current: string;
}) {
  return (
    <nav aria-label={label} className="tabs">
      {items.map((item) => (
        <Link key={item.href} href={item.href} aria-current={item.href === current ? "page" : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

export function InstanceTabs({ current }: { current: string }) {
  return (
    <Tabs
      label="Administration"
      current={current}
      items={[
        { href: "/admin", label: "Projects" },
        { href: "/admin/users", label: "Users" },
        { href: "/admin/workers", label: "Workers" },
        { href: "/admin/audit", label: "Audit log" },
      ]}
    />
  );
}

export function ProjectTabs({
  slug,
  canAdmin,
  current,
}: {
  slug: string;
  canAdmin: boolean;
  current: string;
}) {
  const base = `/projects/${slug}`;
  const items = [
    { href: base, label: "Environments" },
    { href: `${base}/members`, label: "Members" },
  ];
  if (canAdmin) {
    items.push(
      { href: `${base}/settings`, label: "Settings" },
      { href: `${base}/audit`, label: "Audit log" },
    );
  }
  return <Tabs label="Project" items={items} current={current} />;
}
