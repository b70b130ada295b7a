import { PageLoading } from "@/components/page-loading";

export default function EnvironmentLoading() {
  return <PageLoading label="Loading the environment" />;
}
