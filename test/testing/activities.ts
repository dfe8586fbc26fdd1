/**
 * Activities written as a Temporal user writes them (`@temporalio/activity`, dependencies
 * injected through a factory, as in Temporal's samples), for the MockActivityEnvironment tests.
 */
import { activityInfo, heartbeat } from '@temporalio/activity';

/** A payment provider: charging twice with the same idempotency key charges once. */
export interface Payments {
  charge(customer: string, amountCents: number, idempotencyKey: string): Promise<void>;
}

export function createActivities(payments: Payments) {
  return {
    /** Charges each customer, checkpointing the index of the next one; a retry resumes from it. */
    async chargeCustomers(customers: string[], amountCents: number): Promise<number> {
      const workflowId = activityInfo().workflowExecution?.workflowId;
      let next: number = activityInfo().heartbeatDetails ?? 0;
      for (; next < customers.length; next++) {
        await payments.charge(customers[next]!, amountCents, `${workflowId}/${customers[next]}`);
        heartbeat(next + 1);
      }
      return next;
    },

    /** The same, with a resume bug: the checkpoint is recorded before the charge is made. */
    async chargeCustomersCheckpointFirst(customers: string[], amountCents: number): Promise<number> {
      const workflowId = activityInfo().workflowExecution?.workflowId;
      let next: number = activityInfo().heartbeatDetails ?? 0;
      for (; next < customers.length; next++) {
        heartbeat(next + 1); // BUG: progress recorded before the work is done
        await payments.charge(customers[next]!, amountCents, `${workflowId}/${customers[next]}`);
      }
      return next;
    },
  };
}

/** An in-memory payment provider; each charge takes 100 ms. */
export function fakePayments(): Payments & { readonly charged: Map<string, number> } {
  const charged = new Map<string, number>();
  const seen = new Set<string>();
  return {
    charged,
    async charge(customer, amountCents, idempotencyKey) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (seen.has(idempotencyKey)) return;
      seen.add(idempotencyKey);
      charged.set(customer, (charged.get(customer) ?? 0) + amountCents);
    },
  };
}
