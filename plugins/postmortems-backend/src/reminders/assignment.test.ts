import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { ALICE } from '../__testUtils__/testBackend';
import { createTestDatabases } from '@internal/postmortems-test-utils';
import { applyDatabaseMigrations } from '../database/migrations';
import { createServices } from '../services/createServices';
import { ReminderStore } from './ReminderStore';
import { RecordingNotifications } from './testNotifications';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const credentials = mockCredentials.user(ALICE);

/** Assignment notifications, as the action item service sends them. */
describe.each(databases.eachSupportedId())('assignments on %p', databaseId => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await applyDatabaseMigrations(knex);
  });

  async function setUp(config: object = {}) {
    const notifications = new RecordingNotifications();
    const logger = mockServices.logger.mock();
    const services = createServices({
      db: knex,
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      logger,
      config: mockServices.rootConfig({ data: config }),
      notifications,
    });
    await services.templates.seedBuiltins();
    const incident = await services.incidents.create(
      { title: 'Checkout failing', severity: 'high' },
      ALICE,
    );
    await services.incidents.patch(
      incident.reference,
      { status: 'resolved' },
      ALICE,
    );
    await services.postmortems.createBlank(
      incident.reference,
      undefined,
      credentials,
    );
    return { services, notifications, logger, ref: incident.reference };
  }

  it('tells an owner when an item becomes theirs, and only then', async () => {
    const { services, notifications, ref } = await setUp();
    const { actionItems } = services;
    const assigned = `You own an action item of ${ref}`;

    const item = await actionItems.create(
      ref,
      { description: 'Add a canary stage', owner: 'bob' },
      credentials,
    );
    expect(notifications.titlesFor(BOB)).toEqual([assigned]);

    // Edits that leave the owner alone are not assignments.
    await actionItems.update(
      ref,
      item.id,
      { description: 'Add a canary stage to checkout', status: 'in_progress' },
      credentials,
    );
    await actionItems.update(ref, item.id, { owner: BOB }, credentials);
    expect(notifications.sent).toHaveLength(1);

    await actionItems.update(ref, item.id, { owner: CAROL }, credentials);
    await actionItems.update(ref, item.id, { owner: null }, credentials);
    expect(notifications.titlesFor(CAROL)).toEqual([assigned]);

    // A proposal is not an item until accepted; accepting it assigns it.
    const proposal = await actionItems.create(
      ref,
      { description: 'Proposed', owner: CAROL, accepted: false },
      credentials,
    );
    expect(notifications.titlesFor(CAROL)).toHaveLength(1);
    await actionItems.update(ref, proposal.id, { accepted: true }, credentials);
    expect(notifications.titlesFor(CAROL)).toEqual([assigned, assigned]);
    expect(notifications.sent).toHaveLength(3);
  });

  it('saves the item even when the notification cannot be sent', async () => {
    const { services, notifications, logger, ref } = await setUp();

    // The notifications backend is down...
    notifications.failNext = 1;
    const first = await services.actionItems.create(
      ref,
      { description: 'Add a canary stage', owner: BOB },
      credentials,
    );
    // ...or the reminder cannot even be claimed.
    const claim = jest
      .spyOn(ReminderStore.prototype, 'claim')
      .mockRejectedValueOnce(new Error('connection reset'));
    const second = await services.actionItems.update(
      ref,
      first.id,
      { owner: CAROL },
      credentials,
    );
    claim.mockRestore();

    expect(second.owner).toBe(CAROL);
    expect(notifications.sent).toHaveLength(0);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      `Could not send the assigned reminder of action item ${first.id} to ${BOB}`,
      expect.any(Error),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      `Could not notify ${CAROL} of action item ${first.id}`,
      expect.any(Error),
    );
  });

  it('sends nothing when reminders are disabled', async () => {
    const { services, notifications, ref } = await setUp({
      postmortems: { reminders: { enabled: false } },
    });

    await services.actionItems.create(
      ref,
      { description: 'Add a canary stage', owner: BOB, due_date: '2000-01-01' },
      credentials,
    );

    expect(services.reminders).toBeUndefined();
    expect(notifications.sent).toHaveLength(0);
  });
});
