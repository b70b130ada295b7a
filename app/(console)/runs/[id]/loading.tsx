import { PageLoading } from "@/components/page-loading";

export default function RunLoading() {
  return <PageLoading label="Loading the run" />;
}
