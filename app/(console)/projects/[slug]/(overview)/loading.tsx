import { PageLoading } from "@/components/page-loading";

export default function ProjectLoading() {
  return <PageLoading label="Loading the project" />;
}
