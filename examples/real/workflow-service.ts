/**
 * Uses a part of the client hbsim does not simulate, in the shape of the TypeScript SDK's own
 * test activity `heartbeatCancellationDetailsActivity`: it pauses itself through
 * `getClient().workflowService.pauseActivity(...)`. hbsim cannot run that path, so it does not
 * pretend to: the call throws `hbsim: client.workflowService is not simulated`, the run stops, and the
 * verdict says so (even though the activity would swallow the error).
 *
 * Expected verdict: completes violated ("... not simulated ..."), nothing else judged against it.
 *
 *   npx hbsim check examples/real/workflow-service.ts
 */
import { activityInfo, getClient, heartbeat, sleep } from '@temporalio/activity';
import { defineScenario } from 'hbsim';

export default defineScenario({
  name: 'workflow-service',
  api: 'temporal',
  args: [{ pause: true }],
  options: { startToCloseTimeout: '1m', heartbeatTimeout: '5s' },
  activity: () => async (state: { pause?: boolean }) => {
    const info = activityInfo();
    if (info.attempt > 1) return 'resumed';
    const client = getClient();
    try {
      if (state.pause) {
        await client.workflowService.pauseActivity({
          namespace: client.options.namespace,
          execution: { workflowId: info.workflowExecution?.workflowId, runId: info.workflowExecution?.runId },
          id: info.activityId,
        });
      }
    } catch {
      // swallowed: careless, and hbsim still reports it
    }
    for (let i = 0; i < 5; i++) {
      heartbeat(i);
      await sleep(300);
    }
    return 'done';
  },
});
