import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Card,
  CardContent,
  CardHeader,
  Collapse,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  makeStyles,
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
import { useState } from 'react';
import { postmortemsApiRef } from '../../api';
import { formatDateTime } from '../../domain/time';
import { entryText } from '../../domain/timelineText';
import { EntityRefOrText } from '../EntityRefOrText';
import { TimelineEntryText } from '../TimelineEntryText';
import { useGenerationJob } from '../../hooks/useGenerationJob';
import { useFocusRing } from '../accessibility';
import { ConflictMergeDialog } from '../ConflictMergeDialog';
import { SectionEditor, useSectionEditor } from '../SectionEditor';
import { PostmortemMarkdown } from '../PostmortemMarkdown';

const useStyles = makeStyles(theme => ({
  empty: { fontStyle: 'italic' },
  evidence: { marginTop: theme.spacing(1) },
  spaced: { marginBottom: theme.spacing(2) },
}));

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
 * preview (see SectionEditor, whose hook keeps unsaved text as a local draft).
 */
export const PostmortemSectionCard = (props: PostmortemSectionCardProps) => {
  const { incidentId, section, postmortem, evidence, readOnly } = props;
  const classes = useStyles();
  const api = useApi(postmortemsApiRef);
  const headingId = `postmortem-section-${section.key}`;
  const editor = useSectionEditor({
    incidentId,
    section,
    postmortem,
    onPostmortemChange: props.onPostmortemChange,
  });
  const { editing, notice, conflict } = editor;
  const [showEvidence, setShowEvidence] = useState(false);
  const regeneration = useGenerationJob();
  // Focus returns to the Edit button when the editor closes.
  const focusRing = useFocusRing();

  const regenerate = async () => {
    const job = await regeneration.run(() =>
      api.regenerateSection(incidentId, section.key),
    );
    if (job?.status === 'succeeded') {
      await props.onReload();
    }
  };

  const title = section.title;
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
                onClick={editor.startEditing}
                aria-label={`Edit ${title}`}
                ref={editor.editButtonRef}
                {...focusRing}
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
            onClose={editor.dismissNotice}
          >
            {notice}
          </Alert>
        )}
        {editing ? (
          <SectionEditor
            sectionKey={section.key}
            title={title}
            editor={editor}
          />
        ) : (
          <>
            {section.markdown.trim() ? (
              <PostmortemMarkdown content={section.markdown} />
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
                      primary={<TimelineEntryText text={entryText(entry)} />}
                      secondary={
                        <>
                          {formatDateTime(entry.timestamp)} ·{' '}
                          {entry.type.replace(/_/g, ' ')}
                          {entry.actor && (
                            <>
                              {' · '}
                              <EntityRefOrText value={entry.actor} />
                            </>
                          )}
                        </>
                      }
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
        mine={editor.text}
        saving={editor.saving}
        error={conflict ? editor.error : undefined}
        onTakeTheirs={editor.takeTheirs}
        onKeepEditing={editor.keepEditing}
        onSaveMerged={editor.saveMerged}
      />
    </Card>
  );
};
