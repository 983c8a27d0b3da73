import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type {
  EvidenceFinding,
  Postmortem,
  PostmortemReview,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useRef, useState } from 'react';
import {
  PostmortemConflictError,
  PostmortemFindingsError,
  postmortemsApiRef,
} from '../../api';
import { useAnnouncer } from '../../hooks/useAnnouncer';
import { useFocusRing, useFocusTargetClass } from '../accessibility';
import { EvidenceFindings } from '../EvidenceFindings';

/**
 * Publish or unpublish, always after a confirmation. The confirmation shows
 * what the publish gate finds in the draft before the author presses
 * Publish; when findings remain the backend refuses, and they are shown with
 * a way to publish anyway.
 */
export const PublishControls = ({
  incidentId,
  postmortem,
  unsavedSections,
  onChange,
}: {
  incidentId: string;
  postmortem: Postmortem;
  /** Counts sections with local edits, which publishing does not include. */
  unsavedSections?: () => number;
  onChange(postmortem: Postmortem): void;
}) => {
  const api = useApi(postmortemsApiRef);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  // What the backend refused a publish on, and what the gate found when the
  // dialog opened.
  const [findings, setFindings] = useState<EvidenceFinding[]>();
  const [checked, setChecked] = useState<EvidenceFinding[]>();
  const [checking, setChecking] = useState(false);
  const [unsaved, setUnsaved] = useState(0);
  const publishing = postmortem.status === 'draft';
  // Reviewers asked (or named by the template) must approve first; the
  // backend refuses otherwise, so the dialog says so instead of offering it.
  const review = postmortem.review;
  const awaitingApproval =
    publishing && !!review?.required && review.state !== 'approved';
  const waitingFor = review ? pendingReviewers(review) : [];
  const focusRing = useFocusRing();
  const focusTarget = useFocusTargetClass();
  const announce = useAnnouncer();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const findingsRef = useRef<HTMLDivElement>(null);

  // Once the backend answers with findings, focus moves to their summary:
  // the button pressed is disabled while it waits, which drops focus.
  useEffect(() => {
    if (findings) findingsRef.current?.focus();
  }, [findings]);

  const close = () => {
    setOpen(false);
    setError(undefined);
    setFindings(undefined);
    setChecked(undefined);
  };

  // A backend without the checks route (or a failed check) leaves the
  // dialog as it was: the publish itself is still checked.
  const check = async () => {
    setChecking(true);
    try {
      setChecked(await api.checkPostmortem(incidentId));
    } catch {
      setChecked(undefined);
    } finally {
      setChecking(false);
    }
  };

  const submit = async (override = false) => {
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.updatePostmortem(incidentId, {
        status: publishing ? 'published' : 'draft',
        version: postmortem.version,
        ...(override ? { override_findings: true } : {}),
      });
      onChange(updated);
      close();
      announce(publishing ? 'Published' : 'Unpublished: back to draft');
    } catch (e) {
      if (e instanceof PostmortemFindingsError) {
        setFindings(e.findings);
      } else if (e instanceof PostmortemConflictError) {
        onChange(e.current);
        setError(
          new Error(
            `${e.message}. The page now shows the current version; review it and confirm again.`,
          ),
        );
      } else {
        setError(e as Error);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant={publishing ? 'contained' : 'outlined'}
        color="primary"
        {...focusRing}
        onClick={() => {
          setUnsaved(unsavedSections?.() ?? 0);
          setOpen(true);
          if (publishing) check();
        }}
      >
        {publishing ? 'Publish' : 'Unpublish'}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        aria-labelledby="publish-dialog-title"
        aria-describedby="publish-dialog-description"
        maxWidth="sm"
        fullWidth
        // MUI focuses the dialog's container, which screen readers announce
        // poorly; the title is focused instead, then Tab reaches the actions.
        TransitionProps={{ onEntered: () => titleRef.current?.focus() }}
      >
        <DialogTitle
          id="publish-dialog-title"
          ref={titleRef}
          tabIndex={-1}
          className={focusTarget}
        >
          {publishing
            ? 'Publish this post-mortem?'
            : 'Unpublish this post-mortem?'}
        </DialogTitle>
        {/* Long lists of findings scroll: keyboard users reach the
            region with Tab to scroll it. */}
        <DialogContent
          tabIndex={0}
          aria-label="What publishing does, and what the check finds"
          className={focusTarget}
        >
          <DialogContentText id="publish-dialog-description">
            {publishing
              ? `Version ${postmortem.version} becomes readable by everyone signed in, appears on the pages of the affected services and in search.`
              : 'It goes back to draft: only the people allowed to read drafts can see it, and it leaves search.'}
          </DialogContentText>
          {awaitingApproval && (
            <Alert severity="info" style={{ marginBottom: 16 }}>
              {review?.state === 'not_requested'
                ? `This post-mortem needs a review before it is published: request one from ${waitingFor.join(
                    ', ',
                  )}.`
                : `Waiting for approval by ${waitingFor.join(
                    ', ',
                  )} before it can be published.`}
            </Alert>
          )}
          {unsaved > 0 && (
            <Alert severity="warning" style={{ marginBottom: 16 }}>
              {unsaved === 1
                ? 'One section has unsaved edits; they are not part of what you publish.'
                : `${unsaved} sections have unsaved edits; they are not part of what you publish.`}
            </Alert>
          )}
          {checking && !findings && (
            <DialogContentText>Checking the draft…</DialogContentText>
          )}
          {!findings && checked && checked.length > 0 && (
            <>
              <Alert severity="warning" style={{ marginBottom: 16 }}>
                The evidence check finds {checked.length}{' '}
                {checked.length === 1
                  ? 'thing to fix in this version. Fix it first, or publish anyway if it is not a problem.'
                  : 'things to fix in this version. Fix them first, or publish anyway if they are not a problem.'}
              </Alert>
              <EvidenceFindings findings={checked} label="Findings" />
            </>
          )}
          {!findings && checked?.length === 0 && (
            <Alert severity="success" style={{ marginBottom: 16 }}>
              The evidence check finds nothing to fix.
            </Alert>
          )}
          {findings && (
            <>
              <Alert
                severity="warning"
                style={{ marginBottom: 16 }}
                ref={findingsRef}
                tabIndex={-1}
                className={focusTarget}
              >
                The evidence check still has {findings.length}{' '}
                {findings.length === 1
                  ? 'finding. Fix it, or publish anyway if it is not a problem.'
                  : 'findings. Fix them, or publish anyway if they are not a problem.'}
              </Alert>
              <EvidenceFindings
                findings={findings}
                label="Unresolved findings"
              />
            </>
          )}
          {error && (
            <Alert severity="error" style={{ marginTop: 16 }}>
              {error.message}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          {findings || (checked && checked.length > 0) ? (
            <Button
              color="primary"
              variant="contained"
              {...focusRing}
              disabled={busy || awaitingApproval}
              onClick={() => submit(true)}
            >
              Publish anyway
            </Button>
          ) : (
            <Button
              color="primary"
              variant="contained"
              {...focusRing}
              disabled={busy || awaitingApproval}
              onClick={() => submit(false)}
            >
              {publishing ? 'Publish' : 'Unpublish'}
            </Button>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
};

/** Reviewers still to approve: the template's until a review is requested. */
function pendingReviewers(review: PostmortemReview): string[] {
  if (review.state === 'not_requested') return review.template_reviewers;
  return review.reviewers
    .filter(r => !(r.decision === 'approved' && r.current))
    .map(r => r.reviewer);
}
