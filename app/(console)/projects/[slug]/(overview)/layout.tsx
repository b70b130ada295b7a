import { load } from "./load";

/**
 * The project's own page sits in this route group so that its loading.tsx wraps it alone: one
 * beside the other pages of the project would also wrap theirs, and a 404 of theirs (an unknown
 * environment, member, or a page for admins) would then stream with status 200. As a layout, this
 * is outside the group's loading boundary: an unknown project answers 404 before the stream starts.
 */
export default async function ProjectOverviewLayout({ children, params }: LayoutProps<"/projects/[slug]">) {
  await load((await params).slug);
  return children;
}
