/**
 * BROKEN on purpose: async completion with the task token as the charge's idempotency key. A
 * token names one ATTEMPT: when the provider's answer comes too late (the server timed the
 * attempt out, its completion gets NotFound), the retry hands over a new token, so the second
 * charge is not recognised as a repeat and the customer pays twice.
 *
 * Expected verdict: idempotent violated (a late job: charged/order-7 holds 2500 instead of 1250).
 *
 *   npx hbsim check examples/real/async-charge-broken.ts
 */
import { activityInfo, CompleteAsyncError } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

interface ChargeJob {
  readonly taskToken: Uint8Array;
  readonly orderId: string;
  readonly amountCents: number;
}

export default defineScenario({
  name: 'async-charge-broken',
  api: 'temporal',
  args: ['order-7', 1250],
  options: { startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '10s' } },
  external: {
    handler: (world, client) => async (job: ChargeJob) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const key = Buffer.from(job.taskToken).toString('base64'); // BUG: one key per attempt, not per order
      await world.sink.add(`charged/${job.orderId}`, job.amountCents, { idempotencyKey: key });
      await client.activity.complete(job.taskToken, { charged: job.amountCents });
    },
  },
  activity: (world) => async (orderId: string, amountCents: number) => {
    await world.external.submit({ taskToken: activityInfo().taskToken, orderId, amountCents });
    throw new CompleteAsyncError();
  },
});
