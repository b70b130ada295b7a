import { load } from "./load";

/**
 * A layout is outside its own segment's loading boundary: the environment is looked up here, so an
 * unknown one answers 404 before loading.tsx starts the stream (which fixes the status at 200).
 */
export default async function EnvironmentLayout({
  children,
  params,
}: LayoutProps<"/projects/[slug]/environments/[env]">) {
  const { slug, env } = await params;
  await load(slug, env);
  return children;
}
