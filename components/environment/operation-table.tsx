"use client";
import { type OperationChoice, keyOf, serviceOf } from "./operation-choice";
import { useRunDialog } from "./run-dialog";

/**
 * The environment's operations with the member's verdict on each. Run opens
 * the Run dialog on that operation (one way to run: it shows the command
 * before it runs, and its refusals); for the others, why not.
 */
export function OperationTable({ operations }: { operations: OperationChoice[] }) {
  const runDialog = useRunDialog();
  if (operations.length === 0) {
    return <p className="muted">This environment&apos;s config defines no runtime operations.</p>;
  }
  return (
    <table aria-label="Operations">
      <thead>
        <tr>
          <th>Operation</th>
          <th>App</th>
          <th>Role</th>
          <th>Run</th>
        </tr>
      </thead>
      <tbody>
        {operations.map((op) => (
          <tr key={keyOf(op)}>
            <td>{op.name}</td>
            <td>{serviceOf(op)}</td>
            <td>
              <span className="badge">{op.role}</span>
            </td>
            <td>
              {op.allowed ? (
                <button
                  type="button"
                  aria-label={`Run ${op.name} on ${serviceOf(op)}`}
                  onClick={(e) => runDialog.open(keyOf(op), e.currentTarget)}
                >
                  Run
                </button>
              ) : (
                <span className="muted">{op.reason}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
