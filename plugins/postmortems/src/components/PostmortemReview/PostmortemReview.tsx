import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type {
  Postmortem,
  PostmortemReview as Review,
  ReviewerStatus,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReactNode, useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../../api';
import { formatDateTime } from '../../domain/time';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { EntityRefOrText } from '../EntityRefOrText';

const STATE_LABELS: Record<Review['state'], string> = {
  not_requested: 'Review not requested',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
};

const sameRef = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** What a reviewer decided, in words, naming who decided. */
const Decision = ({ status }: { status: ReviewerStatus }) => {
  if (!status.decision) return <>Waiting</>;
  return (
    <>
      {status.decision === 'approved' ? 'Approved' : 'Asked for changes'}
      {status.decided_by && (
        <>
          {' by '}
          <EntityRefOrText value={status.decided_by} />
        </>
      )}
      {status.decided_at ? ` · ${formatDateTime(status.decided_at)}` : ''}
      {status.current ? '' : ' (an earlier version)'}
      {status.comment ? `: ${status.comment}` : ''}
    </>
  );
};

/**
 * The post-mortem's review before publishing: where it stands, who was
 * asked and what they decided; the author asks for a review, reviewers
 * approve or ask for changes.
 */
export const PostmortemReview = ({
  incidentId,
  postmortem,
  onChange,
}: {
  incidentId: string;
  postmortem: Postmortem;
  onChange(postmortem: Postmortem): void;
}) => {
  const api = useApi(postmortemsApiRef);
  const identity = useApi(identityApiRef);
  const announce = useAnnouncer();
  const claims = useAsync(async () => {
    const { userEntityRef, ownershipEntityRefs } =
      await identity.getBackstageIdentity();
    return [userEntityRef, ...ownershipEntityRefs];
  }, [identity]);
  const [asking, setAsking] = useState(false);
  const [reviewers, setReviewers] = useState('');
  const [note, setNote] = useState('');
  const [requestError, setRequestError] = useState<Error>();
  const [changes, setChanges] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const changesRef = useRef<HTMLTextAreaElement>(null);
  const writingChanges = changes !== undefined;

  // The box for the requested changes takes focus when it opens.
  useEffect(() => {
    if (writingChanges) changesRef.current?.focus();
  }, [writingChanges]);

  const review = postmortem.review;
  if (!review) return null;

  const mine = review.reviewers.filter(r =>
    (claims.value ?? []).some(claim => sameRef(claim, r.reviewer)),
  );
  const canDecide = review.state !== 'not_requested' && mine.length > 0;
  // Approving again what one approved already would change nothing.
  const approvedByMe =
    mine.length > 0 && mine.every(r => r.decision === 'approved' && r.current);

  const openRequest = () => {
    setReviewers(review.template_reviewers.join(', '));
    setNote('');
    setRequestError(undefined);
    setAsking(true);
  };

  const sendRequest = async () => {
    setBusy(true);
    setRequestError(undefined);
    try {
      const named = reviewers
        .split(/[\s,]+/)
        .map(r => r.trim())
        .filter(Boolean);
      const updated = await api.requestReview(incidentId, {
        ...(named.length ? { reviewers: named } : {}),
        ...(note.trim() ? { comment: note.trim() } : {}),
      });
      onChange(updated);
      setAsking(false);
      announce('Review requested');
    } catch (e) {
      setRequestError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const decide = async (decision: 'approved' | 'changes_requested') => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.reviewPostmortem(incidentId, {
        decision,
        version: postmortem.version,
        ...(decision === 'changes_requested' ? { comment: changes } : {}),
      });
      onChange(updated);
      setChanges(undefined);
      announce(decision === 'approved' ? 'Approved' : 'Changes requested');
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  let summary: ReactNode;
  if (review.state === 'not_requested') {
    summary = review.required
      ? `The template asks for a review by ${review.template_reviewers.join(
          ', ',
        )} before publishing.`
      : 'Publishing needs no review; ask for one for a second pair of eyes.';
  } else {
    summary = (
      <>
        Requested by <EntityRefOrText value={review.requested_by} />
        {review.requested_at ? ` · ${formatDateTime(review.requested_at)}` : ''}
      </>
    );
  }

  return (
    <Box role="region" aria-label="Review" mt={2}>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Chip
          size="small"
          color={review.state === 'approved' ? 'primary' : 'default'}
          label={STATE_LABELS[review.state]}
        />
        <Typography variant="body2">{summary}</Typography>
        {postmortem.status === 'draft' && (
          <Button size="small" variant="outlined" onClick={openRequest}>
            {review.state === 'not_requested'
              ? 'Request review'
              : 'Request review again'}
          </Button>
        )}
      </Box>
      {review.reviewers.length > 0 && (
        <List dense aria-label="Reviewers">
          {review.reviewers.map(status => (
            <ListItem key={status.reviewer} disableGutters>
              <ListItemText
                primary={<EntityRefOrText value={status.reviewer} />}
                secondary={<Decision status={status} />}
              />
            </ListItem>
          ))}
        </List>
      )}
      {canDecide && (
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          {!approvedByMe && (
            <Button
              color="primary"
              variant="contained"
              size="small"
              disabled={busy}
              onClick={() => decide('approved')}
            >
              Approve version {postmortem.version}
            </Button>
          )}
          {changes === undefined ? (
            <Button
              size="small"
              variant="outlined"
              disabled={busy}
              onClick={() => setChanges('')}
            >
              Request changes
            </Button>
          ) : (
            <Box
              display="flex"
              flexDirection="column"
              width="100%"
              style={{ gap: 8 }}
            >
              <TextField
                id="review-changes-comment"
                label="What should change"
                multiline
                minRows={2}
                variant="outlined"
                inputRef={changesRef}
                value={changes}
                onChange={e => setChanges(e.target.value)}
              />
              <Box display="flex" style={{ gap: 8 }}>
                <Button
                  size="small"
                  variant="contained"
                  disabled={busy || !changes.trim()}
                  onClick={() => decide('changes_requested')}
                >
                  Send request for changes
                </Button>
                <Button size="small" onClick={() => setChanges(undefined)}>
                  Cancel
                </Button>
              </Box>
            </Box>
          )}
        </Box>
      )}
      {error && (
        <Alert severity="error" style={{ marginTop: 8 }}>
          {error.message}
        </Alert>
      )}
      <Dialog
        open={asking}
        onClose={() => setAsking(false)}
        aria-labelledby="review-request-title"
        maxWidth="sm"
        fullWidth
      >
        <DialogTitle id="review-request-title">Request a review</DialogTitle>
        <DialogContent>
          <TextField
            id="review-request-reviewers"
            label="Reviewers"
            fullWidth
            margin="dense"
            value={reviewers}
            onChange={e => setReviewers(e.target.value)}
            error={Boolean(requestError)}
            helperText={
              requestError?.message ??
              'User or group refs, separated by commas; owners asks the owners of the affected services.'
            }
          />
          <TextField
            id="review-request-note"
            label="Note to the reviewers (optional)"
            fullWidth
            multiline
            minRows={2}
            margin="dense"
            value={note}
            onChange={e => setNote(e.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAsking(false)} disabled={busy}>
            Cancel
          </Button>
          <Button
            color="primary"
            variant="contained"
            disabled={busy}
            onClick={sendRequest}
          >
            Request review
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};
