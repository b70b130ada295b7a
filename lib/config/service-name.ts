/** How Upsun names what runs an operation: the app, or `app--worker` for one of its workers. */
export const serviceName = (app: string, worker: string | null | undefined) =>
  worker ? `${app}--${worker}` : app;
