import { load } from "./load";

/**
 * A layout is outside its own segment's loading boundary: the run is looked up here, so an unknown
 * one answers 404 before loading.tsx starts the stream (which fixes the status at 200).
 */
export default async function RunLayout({ children, params }: LayoutProps<"/runs/[id]">) {
  await load((await params).id);
  return children;
}
