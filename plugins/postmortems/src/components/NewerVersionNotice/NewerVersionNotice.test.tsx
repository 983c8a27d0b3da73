import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { identityApiRef } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  postmortemSignalChannel,
  PostmortemSignal,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { NewerVersionNotice } from './NewerVersionNotice';

const INCIDENT = '5f0c6a52-0d1b-4f44-9d59-3c1f0b1b7a11';

/** The portal's signals, as the signals plugin delivers them to one channel. */
function fakeSignals() {
  const listeners = new Map<string, (message: any) => void>();
  return {
    api: {
      subscribe: jest.fn((channel: string, onMessage: (m: any) => void) => {
        listeners.set(channel, onMessage);
        return { unsubscribe: () => listeners.delete(channel) };
      }),
    },
    send(message: PostmortemSignal) {
      act(() =>
        listeners.get(postmortemSignalChannel(message.incident_id))?.(message),
      );
    },
  };
}

async function renderNotice(version: number, onShowLatest = jest.fn()) {
  const signals = fakeSignals();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [signalApiRef, signals.api],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/guest' }),
        ],
      ]}
    >
      <NewerVersionNotice
        incidentId={INCIDENT}
        version={version}
        onShowLatest={onShowLatest}
      />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { signals, onShowLatest };
}

describe('NewerVersionNotice', () => {
  it('says who saved a newer version and shows it on request', async () => {
    const { signals, onShowLatest } = await renderNotice(3);
    expect(signals.api.subscribe).toHaveBeenCalledWith(
      `postmortems:incident:${INCIDENT}`,
      expect.any(Function),
    );
    expect(screen.queryByRole('status')).not.toBeInTheDocument();

    signals.send({
      incident_id: INCIDENT,
      change: 'saved',
      version: 4,
      by: 'user:default/frank.li',
    });
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent(
      'saved version 4 while you were reading version 3',
    );
    expect(screen.getByRole('link', { name: /frank\.li/ })).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show the latest' }),
    );
    expect(onShowLatest).toHaveBeenCalled();
  });

  it("stays quiet about the reader's own saves and versions already shown", async () => {
    const { signals } = await renderNotice(4);
    signals.send({
      incident_id: INCIDENT,
      change: 'saved',
      version: 5,
      by: 'user:default/guest',
    });
    signals.send({
      incident_id: INCIDENT,
      change: 'saved',
      version: 4,
      by: 'user:default/frank.li',
    });
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('tells of a new comment without offering a reload', async () => {
    const { signals } = await renderNotice(4);
    signals.send({
      incident_id: INCIDENT,
      change: 'comment',
      version: 4,
      by: 'user:default/frank.li',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'commented on this post-mortem',
    );
    expect(
      screen.queryByRole('button', { name: 'Show the latest' }),
    ).not.toBeInTheDocument();
  });
});
