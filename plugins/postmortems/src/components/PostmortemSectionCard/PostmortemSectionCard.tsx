import { MarkdownContent } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Collapse,
  Grid,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  makeStyles,
  TextField,
  Typography,
} from '@material-ui/core';
import EditIcon from '@material-ui/icons/Edit';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import type {
  Postmortem,
  PostmortemSection,
  TimelineEntry,
} from '@postmortems-oss/backstage-plugin-postmortems-common';
import { KeyboardEvent, useEffect, useRef, useState } from 'react';
import { PostmortemConflictError, postmortemsApiRef } from '../../api';
import {
  clearSectionDraft,
  readSectionDraft,
  writeSectionDraft,
} from '../../domain/localDrafts';
import { formatDateTime } from '../../domain/time';
import { useGenerationJob } from '../../hooks/useGenerationJob';
import { ConflictMergeDialog } from '../ConflictMergeDialog';

const useStyles = makeStyles(theme => ({
  preview: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(0, 2),
    height: '100%',
    minHeight: 200,
    overflow: 'auto',
  },
  previewLabel: {
    color: theme.palette.text.secondary,
    fontSize: '0.75rem',
    margin: theme.spacing(1, 0, 0),
  },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
    flexWrap: 'wrap',
  },
  empty: { fontStyle: 'italic' },
  evidence: { marginTop: theme.spacing(1) },
  spaced: { marginBottom: theme.spacing(2) },
}));

interface Conflict {
  theirs: string;
  theirsLabel: string;
  current: Postmortem;
}

function sectionText(postmortem: Postmortem, key: string): string {
  return postmortem.sections.find(s => s.key === key)?.markdown ?? '';
}

function withSection(
  postmortem: Postmortem,
  section: PostmortemSection,
  markdown: string,
): PostmortemSection[] {
  const known = postmortem.sections.some(s => s.key === section.key);
  return known
    ? postmortem.sections.map(s =>
        s.key === section.key ? { ...s, markdown } : s,
      )
    : [...postmortem.sections, { ...section, markdown }];
}

function describeVersion(postmortem: Postmortem): string {
  const by = postmortem.updated_by ? ` by ${postmortem.updated_by}` : '';
  return `version ${postmortem.version}${by}`;
}

function summaryOf(entry: TimelineEntry): string {
  const content = entry.content as Record<string, unknown>;
  const text =
    content.text ?? content.alert_title ?? content.description ?? content.title;
  if (typeof text === 'string') return text;
  if (content.from !== undefined && content.to !== undefined) {
    return `${String(content.from)} → ${String(content.to)}`;
  }
  return entry.type.replace(/_/g, ' ');
}

export interface PostmortemSectionCardProps {
  incidentId: string;
  section: PostmortemSection;
  /** The post-mortem as last read or saved; saves are based on its version. */
  postmortem: Postmortem;
  /** Timeline entries the draft cites for this section. */
  evidence?: TimelineEntry[];
  readOnly?: boolean;
  onPostmortemChange(postmortem: Postmortem): void;
  /** Reads the post-mortem again, after a regeneration. */
  onReload(): Promise<void>;
}

/**
 * One section of a post-mortem: rendered Markdown, or an editor with a live
 * preview. Every keystroke is kept in localStorage until the text is saved, so
 * a reload, a failed request or a conflicting save loses nothing.
 */
export const PostmortemSectionCard = (props: PostmortemSectionCardProps) => {
  const { incidentId, section, postmortem, evidence, readOnly } = props;
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const headingId = `postmortem-section-${section.key}`;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [base, setBase] = useState('');
  const [restoredAt, setRestoredAt] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const [notice, setNotice] = useState<string>();
  const [conflict, setConflict] = useState<Conflict>();
  const [showEvidence, setShowEvidence] = useState(false);
  const regeneration = useGenerationJob();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const focusEditor = useRef(false);
  const textRef = useRef(text);
  textRef.current = text;

  // A draft left by an earlier visit comes back in the editor.
  useEffect(() => {
    const draft = readSectionDraft(incidentId, section.key);
    if (!draft) return;
    if (draft.markdown === section.markdown) {
      clearSectionDraft(incidentId, section.key);
      return;
    }
    setEditing(true);
    setText(draft.markdown);
    setBase(draft.base);
    setRestoredAt(draft.updatedAt);
    // Only on mount: later changes of the section must not replace typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incidentId, section.key]);

  const keepDraft = (markdown: string, draftBase: string, version: number) =>
    writeSectionDraft(incidentId, section.key, {
      markdown,
      base: draftBase,
      baseVersion: version,
    });

  const startEditing = () => {
    setText(section.markdown);
    setBase(section.markdown);
    setRestoredAt(undefined);
    setError(undefined);
    setNotice(undefined);
    focusEditor.current = true;
    setEditing(true);
  };

  // Focus follows the Edit button into the editor (not on a restored draft).
  useEffect(() => {
    if (editing && focusEditor.current) {
      focusEditor.current = false;
      editorRef.current?.focus();
    }
  }, [editing]);

  const change = (value: string) => {
    setText(value);
    keepDraft(value, base, postmortem.version);
  };

  const discard = () => {
    clearSectionDraft(incidentId, section.key);
    setEditing(false);
    setError(undefined);
    setRestoredAt(undefined);
  };

  const openConflict = (current: Postmortem) =>
    setConflict({
      theirs: sectionText(current, section.key),
      theirsLabel: describeVersion(current),
      current,
    });

  /** Saves `markdown` on top of `against`; a stale version is merged or asked about. */
  const persist = async (
    markdown: string,
    against: Postmortem,
    attempt = 0,
  ): Promise<void> => {
    setSaving(true);
    setError(undefined);
    try {
      const updated = await api.updatePostmortem(incidentId, {
        sections: withSection(against, section, markdown),
        version: against.version,
      });
      clearSectionDraft(incidentId, section.key);
      setEditing(false);
      setConflict(undefined);
      setRestoredAt(undefined);
      props.onPostmortemChange(updated);
    } catch (e) {
      if (e instanceof PostmortemConflictError) {
        props.onPostmortemChange(e.current);
        const unchangedHere =
          sectionText(e.current, section.key) ===
          sectionText(against, section.key);
        if (unchangedHere && attempt < 3) {
          // Only other sections changed: re-apply this one on top of them.
          setNotice(
            `Saved on top of ${describeVersion(
              e.current,
            )}, which changed other sections.`,
          );
          await persist(markdown, e.current, attempt + 1);
          return;
        }
        openConflict(e.current);
      } else {
        setError(e as Error);
      }
    } finally {
      setSaving(false);
    }
  };

  const save = async () => {
    setNotice(undefined);
    const saved = sectionText(postmortem, section.key);
    if (saved !== base) {
      // The section changed since this edit began (e.g. a restored draft).
      openConflict(postmortem);
      return;
    }
    await persist(text, postmortem);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      if (!saving) save();
    }
  };

  const regenerate = async () => {
    const job = await regeneration.run(() =>
      api.regenerateSection(incidentId, section.key),
    );
    if (job?.status === 'succeeded') {
      await props.onReload();
    }
  };

  const title = section.title;
  const dirty = editing && text !== sectionText(postmortem, section.key);
  return (
    <Card component="section" aria-labelledby={headingId}>
      <CardHeader
        title={
          <Typography variant="h6" component="h3" id={headingId}>
            {title}
          </Typography>
        }
        action={
          !readOnly &&
          !editing && (
            <Box display="flex" style={{ gap: 8 }}>
              <Button
                size="small"
                startIcon={<EditIcon />}
                onClick={startEditing}
                aria-label={`Edit ${title}`}
              >
                Edit
              </Button>
              <Button
                size="small"
                startIcon={<RefreshIcon />}
                onClick={regenerate}
                disabled={regeneration.running}
                aria-label={`Regenerate ${title}`}
              >
                Regenerate
              </Button>
            </Box>
          )
        }
      />
      <CardContent>
        {regeneration.running && (
          <Box className={classes.spaced}>
            <LinearProgress aria-label={`Regenerating ${title}`} />
            <Typography variant="body2" role="status">
              Rewriting this section from the evidence…
            </Typography>
          </Box>
        )}
        {regeneration.error && (
          <Alert severity="error" className={classes.spaced}>
            The section could not be regenerated: {regeneration.error.message}
          </Alert>
        )}
        {notice && (
          <Alert
            severity="info"
            className={classes.spaced}
            onClose={() => setNotice(undefined)}
          >
            {notice}
          </Alert>
        )}
        {editing ? (
          <>
            {restoredAt && (
              <Alert severity="info" className={classes.spaced}>
                Restored your unsaved edit from {formatDateTime(restoredAt)}.
              </Alert>
            )}
            <Grid container spacing={2}>
              <Grid item xs={12} md={6}>
                <TextField
                  id={`section-editor-${section.key}`}
                  label={`${title} (Markdown)`}
                  value={text}
                  onChange={e => change(e.target.value)}
                  onKeyDown={onKeyDown}
                  multiline
                  minRows={10}
                  fullWidth
                  variant="outlined"
                  inputRef={editorRef}
                  helperText="Ctrl+Enter saves. Unsaved text is kept in this browser."
                />
              </Grid>
              <Grid item xs={12} md={6}>
                <Box
                  className={classes.preview}
                  aria-label={`Preview of ${title}`}
                  role="region"
                >
                  <p className={classes.previewLabel}>Preview</p>
                  <MarkdownContent content={text} />
                </Box>
              </Grid>
            </Grid>
            {error && (
              <Alert
                severity="error"
                className={classes.spaced}
                style={{ marginTop: 16 }}
              >
                Not saved: {error.message}. Your text is kept in this browser;
                try again when the problem is solved.
              </Alert>
            )}
            <Box className={classes.actions}>
              <Button
                variant="contained"
                color="primary"
                onClick={save}
                disabled={saving || !dirty}
              >
                {saving ? 'Saving…' : 'Save'}
              </Button>
              <Button onClick={discard} disabled={saving}>
                {dirty ? 'Discard changes' : 'Close editor'}
              </Button>
            </Box>
          </>
        ) : (
          <>
            {section.markdown.trim() ? (
              <MarkdownContent content={section.markdown} />
            ) : (
              <Typography color="textSecondary" className={classes.empty}>
                This section is empty.
              </Typography>
            )}
          </>
        )}
        {evidence && evidence.length > 0 && (
          <Box className={classes.evidence}>
            <Button
              size="small"
              onClick={() => setShowEvidence(v => !v)}
              aria-expanded={showEvidence}
            >
              Evidence ({evidence.length})
            </Button>
            <Collapse in={showEvidence}>
              <List dense aria-label={`Evidence for ${title}`}>
                {evidence.map(entry => (
                  <ListItem key={entry.id}>
                    <ListItemText
                      primary={summaryOf(entry)}
                      secondary={`${formatDateTime(
                        entry.timestamp,
                      )} · ${entry.type.replace(/_/g, ' ')}${
                        entry.actor ? ` · ${entry.actor}` : ''
                      }`}
                    />
                  </ListItem>
                ))}
              </List>
            </Collapse>
          </Box>
        )}
      </CardContent>
      <ConflictMergeDialog
        open={Boolean(conflict)}
        sectionTitle={title}
        theirs={conflict?.theirs ?? ''}
        theirsLabel={conflict?.theirsLabel ?? ''}
        mine={text}
        saving={saving}
        error={conflict ? error : undefined}
        onTakeTheirs={() => {
          clearSectionDraft(incidentId, section.key);
          setEditing(false);
          setConflict(undefined);
          setError(undefined);
          setRestoredAt(undefined);
        }}
        onKeepEditing={() => {
          if (!conflict) return;
          // The user has seen their version: the next save goes on top of it.
          setBase(conflict.theirs);
          keepDraft(textRef.current, conflict.theirs, conflict.current.version);
          setConflict(undefined);
          setError(undefined);
        }}
        onSaveMerged={merged => {
          if (!conflict) return;
          setText(merged);
          setBase(conflict.theirs);
          keepDraft(merged, conflict.theirs, conflict.current.version);
          persist(merged, conflict.current);
        }}
      />
    </Card>
  );
};
