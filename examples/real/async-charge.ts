/**
 * Async completion, done right (X6). The activity hands the charge to a payment provider with
 * its task token and throws CompleteAsyncError; the provider charges the card later and
 * completes the activity through the client. The charge's idempotency key is the ORDER, not the
 * attempt: when a job is lost (the provider crashed) or late (it completes an attempt the server
 * already timed out: NotFound), the retry submits again and the second charge is a no-op.
 * Shape: a `createActivities(deps)` factory, as the samples wire dependencies.
 *
 * Expected verdict: every property holds.
 *
 *   npx hbsim check examples/real/async-charge.ts
 */
import { activityInfo, CompleteAsyncError, log } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

interface ChargeJob {
  readonly taskToken: Uint8Array;
  readonly orderId: string;
  readonly amountCents: number;
}

interface Deps {
  readonly provider: { submit(job: ChargeJob): Promise<void> };
}

export function createActivities({ provider }: Deps) {
  return {
    async chargeCard(orderId: string, amountCents: number): Promise<{ charged: number }> {
      log.info('handing the charge to the provider', { orderId, attempt: activityInfo().attempt });
      await provider.submit({ taskToken: activityInfo().taskToken, orderId, amountCents });
      throw new CompleteAsyncError();
    },
  };
}

export default defineScenario({
  name: 'async-charge',
  api: 'temporal',
  args: ['order-7', 1250],
  options: { startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  external: {
    // The payment provider: takes 3 s per charge, then reports back with the task token.
    handler: (world, client) => async (job: ChargeJob) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await world.sink.add(`charged/${job.orderId}`, job.amountCents, { idempotencyKey: `charge:${job.orderId}` });
      await client.activity.complete(job.taskToken, { charged: job.amountCents });
    },
  },
  activity: (world) => createActivities({ provider: { submit: (job) => world.external.submit(job) } }).chargeCard,
});
