/** An operation of the environment's current deployment as the page shows it to this member. */
export type OperationChoice = {
  app: string;
  worker: string | null;
  name: string;
  role: string;
  start: string;
  /** The access rule's verdict for this member (getEnvironment): the server decides again on Run. */
  allowed: boolean;
  reason: string | null;
};

/** Identifies an operation: the same name may exist on several apps and workers. */
export const keyOf = (op: OperationChoice) => JSON.stringify([op.app, op.worker, op.name]);

/** The app, or app › worker, as the console writes it. */
export const serviceOf = (op: { app: string; worker: string | null }) =>
  op.worker ? `${op.app} › ${op.worker}` : op.app;
