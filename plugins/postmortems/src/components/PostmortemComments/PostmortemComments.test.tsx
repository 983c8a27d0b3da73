import { act, screen } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { postmortemSignalChannel } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { postmortemsApiRef } from '../../api';
import { PostmortemComments } from './PostmortemComments';

const INCIDENT = '5f0c6a52-0d1b-4f44-9d59-3c1f0b1b7a11';

const comment = (id: string, body: string) => ({
  id,
  postmortem_id: 'pm-1',
  author: 'user:default/frank.li',
  body,
  created_at: '2026-12-01T10:00:00.000Z',
});

describe('PostmortemComments', () => {
  it("shows another reader's comment as it is made, heard through signals", async () => {
    const listeners = new Map<string, (message: unknown) => void>();
    const signals = {
      subscribe: jest.fn((channel: string, onMessage: (m: unknown) => void) => {
        listeners.set(channel, onMessage);
        return { unsubscribe: () => listeners.delete(channel) };
      }),
    };
    const stored = [comment('c1', 'First look: the timeline is right.')];
    const api = { listComments: jest.fn(async () => [...stored]) };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [postmortemsApiRef, api as any],
          [signalApiRef, signals],
          [
            identityApiRef,
            mockApis.identity({ userEntityRef: 'user:default/guest' }),
          ],
        ]}
      >
        <PostmortemComments incidentId="INC-7" signalId={INCIDENT} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText('First look: the timeline is right.'),
    ).toBeInTheDocument();
    expect(signals.subscribe).toHaveBeenCalledWith(
      postmortemSignalChannel(INCIDENT),
      expect.any(Function),
    );

    // A save is not a comment: the comments are not read again for it.
    act(() =>
      listeners.get(postmortemSignalChannel(INCIDENT))?.({
        incident_id: INCIDENT,
        change: 'saved',
        version: 4,
        by: 'user:default/frank.li',
      }),
    );
    expect(api.listComments).toHaveBeenCalledTimes(1);

    stored.push(comment('c2', 'Should the alert threshold be lower?'));
    act(() =>
      listeners.get(postmortemSignalChannel(INCIDENT))?.({
        incident_id: INCIDENT,
        change: 'comment',
        version: 4,
        by: 'user:default/frank.li',
      }),
    );
    expect(
      await screen.findByText('Should the alert threshold be lower?'),
    ).toBeInTheDocument();
    expect(api.listComments).toHaveBeenCalledWith('INC-7');
  });
});
