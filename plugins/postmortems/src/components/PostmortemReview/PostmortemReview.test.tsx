import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  postmortemSchema,
  reviewDecisionBodySchema,
  reviewRequestBodySchema,
  type Postmortem,
  type PostmortemReview as Review,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { HttpResponse } from 'msw';
import { PostmortemReview } from './PostmortemReview';
import { AmendedNotice } from './AmendedNotice';
import { PublishControls } from '../PublishControls';
import { answerWrite } from '../../__testUtils__/backend';
import { createDemoData } from '../../__testUtils__/demoData';
import { errorBody } from '../../__testUtils__/fixtures';
import { createTestClient, setupBackend } from '../../__testUtils__/msw';
import { renderWithApis } from '../../__testUtils__/renderWithApis';

const server = setupBackend();
const PM = '/v1/incidents/:incidentId/postmortem';
const SRE = 'group:default/sre';

/** The demo draft of INC-2 with the given review. */
function draft(review: Review, change: Partial<Postmortem> = {}): Postmortem {
  const pm = createDemoData().postmortems.find(p => p.status === 'draft')!;
  return postmortemSchema.parse({ ...pm, review, ...change });
}

const notRequested: Review = {
  state: 'not_requested',
  required: true,
  template_reviewers: [SRE],
  requested_by: null,
  requested_at: null,
  reviewers: [],
};
const inReview: Review = {
  ...notRequested,
  state: 'in_review',
  requested_by: 'user:default/jane.doe',
  requested_at: '2026-12-01T10:00:00Z',
  reviewers: [
    {
      reviewer: SRE,
      decision: null,
      decided_by: null,
      decided_at: null,
      comment: null,
      current: false,
    },
  ],
};

function renderReview(postmortem: Postmortem, onChange = jest.fn()) {
  return renderWithApis(
    <PostmortemReview
      incidentId={postmortem.incident_id}
      postmortem={postmortem}
      onChange={onChange}
    />,
    { api: createTestClient() },
  );
}

describe('PostmortemReview', () => {
  it("asks the template's reviewers with a note and shows who was asked", async () => {
    const before = draft(notRequested);
    const sent = answerWrite(
      server,
      'post',
      `${PM}/reviews/request`,
      reviewRequestBodySchema,
      () => HttpResponse.json(draft(inReview), { status: 201 }),
    );
    const onChange = jest.fn();
    await renderReview(before, onChange);
    expect(
      screen.getByText(
        'The template asks for a review by group:default/sre before publishing.',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Request review' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request a review',
    });
    expect(within(dialog).getByLabelText('Reviewers')).toHaveValue(SRE);
    await userEvent.type(
      within(dialog).getByLabelText('Note to the reviewers (optional)'),
      'Ready for a look',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request review' }),
    );
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(sent.map(r => r.body)).toEqual([
      { reviewers: [SRE], comment: 'Ready for a look' },
    ]);
    expect(onChange.mock.calls[0][0].review.state).toBe('in_review');
  });

  it("shows the backend's refusal at the reviewers field", async () => {
    answerWrite(
      server,
      'post',
      `${PM}/reviews/request`,
      reviewRequestBodySchema,
      () =>
        HttpResponse.json(
          errorBody(
            'validation_error',
            'reviewers: name at least one reviewer (the template names none)',
          ),
          { status: 400 },
        ),
    );
    await renderReview(
      draft({ ...notRequested, required: false, template_reviewers: [] }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Request review' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request review' }),
    );
    const field = within(dialog).getByLabelText('Reviewers');
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(
      within(dialog).getByText(/name at least one reviewer/),
    ).toBeInTheDocument();
  });

  it('lets a reviewer approve the version they read, or ask for changes in words', async () => {
    const sent = answerWrite(
      server,
      'post',
      `${PM}/reviews`,
      reviewDecisionBodySchema,
      ({ body }) =>
        HttpResponse.json(
          draft({
            ...inReview,
            state: (body as any).decision,
            reviewers: [
              {
                ...inReview.reviewers[0],
                decision: (body as any).decision,
                decided_by: 'user:default/guest',
                decided_at: '2026-12-01T11:00:00Z',
                comment: (body as any).comment ?? null,
                current: true,
              },
            ],
          }),
          { status: 201 },
        ),
    );
    // The signed-in guest is in group:default/sre, the reviewer asked.
    await renderReview(draft(inReview));
    expect(
      within(screen.getByRole('list', { name: 'Reviewers' })).getByText(
        'Waiting',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Request changes' }),
    );
    const send = screen.getByRole('button', {
      name: 'Send request for changes',
    });
    expect(send).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText('What should change'),
      'Name the missing CI check',
    );
    await userEvent.click(send);
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].body).toEqual({
      decision: 'changes_requested',
      version: 3,
      comment: 'Name the missing CI check',
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Approve version 3' }),
    );
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1].body).toEqual({ decision: 'approved', version: 3 });
  });

  it('offers no decision to someone who was not asked', async () => {
    await renderReview(
      draft({
        ...inReview,
        reviewers: [
          { ...inReview.reviewers[0], reviewer: 'group:default/dba' },
        ],
      }),
    );
    expect(screen.getByText('In review')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: /^Approve/ }),
      ).not.toBeInTheDocument(),
    );
  });

  it('keeps Publish closed until the reviewers approved', async () => {
    await renderWithApis(
      <PublishControls
        incidentId="incident-2"
        postmortem={draft(inReview)}
        onChange={jest.fn()}
      />,
      { api: createTestClient() },
    );
    await userEvent.click(screen.getByRole('button', { name: 'Publish' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        'Waiting for approval by group:default/sre before it can be published.',
      ),
    ).toBeInTheDocument();
    for (const button of within(dialog).getAllByRole('button', {
      name: /^Publish/,
    })) {
      expect(button).toBeDisabled();
    }
  });

  it('says when a published post-mortem was amended', async () => {
    await renderWithApis(
      <AmendedNotice
        postmortem={draft(inReview, {
          status: 'published',
          version: 5,
          published_version: 3,
        })}
      />,
      { api: createTestClient() },
    );
    expect(
      screen.getByText(/Amended since it was published: this is version 5/),
    ).toBeInTheDocument();
  });
});
