/*
 * One backend replica for the multi-process tests: the real Backstage backend
 * (createBackend, real scheduler, real auth with a static token) running the
 * post-mortems plugin on a shared PostgreSQL database. Run with
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs replicaProcess.ts --config <file>
 *
 * Notifications are posted to REPLICA_RECORDER (the test's recorder) instead
 * of a notifications backend; "trigger <task id>" on stdin triggers a
 * scheduled task now, as a second replica or an operator would. Prints
 * "READY" once it serves requests.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createInterface } from 'node:readline';
import openAIModule from '@postmortems-oss/backstage-plugin-postmortems-backend-module-openai';
import { postmortemsPlugin } from '../plugin';

const recorder = process.env.REPLICA_RECORDER!;
const replica = process.env.REPLICA_NAME ?? 'replica';

const recordingNotifications = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    async send(options) {
      await fetch(recorder, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ replica, ...options }),
      });
    },
  }),
});

let scheduler: SchedulerService | undefined;
const control = createBackendModule({
  pluginId: 'postmortems',
  moduleId: 'replica-control',
  register(env) {
    env.registerInit({
      deps: { plugin: coreServices.scheduler },
      async init({ plugin }) {
        scheduler = plugin;
      },
    });
  },
});

createInterface({ input: process.stdin }).on('line', line => {
  const [command, taskId] = line.trim().split(/\s+/);
  if (command === 'trigger' && scheduler && taskId) {
    scheduler
      .triggerTask(taskId)
      .then(() => console.log(`TRIGGERED ${taskId}`))
      .catch(error => console.log(`TRIGGER FAILED ${taskId}: ${error}`));
  }
});

const backend = createBackend();
backend.add(postmortemsPlugin);
backend.add(openAIModule);
backend.add(recordingNotifications);
backend.add(control);
backend
  .start()
  .then(() => console.log('READY'))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
