import {
  Box,
  Button,
  Grid,
  makeStyles,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { formatDateTime } from '../../domain/time';
import { secondaryText, useFocusRing } from '../accessibility';
import type { SectionEditorState } from './useSectionEditor';
import { PostmortemMarkdown } from '../PostmortemMarkdown';

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
    color: secondaryText(theme),
    fontSize: '0.75rem',
    margin: theme.spacing(1, 0, 0),
  },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
    flexWrap: 'wrap',
    alignItems: 'center',
  },
  reason: { color: secondaryText(theme) },
  spaced: { marginBottom: theme.spacing(2) },
}));

export interface SectionEditorProps {
  sectionKey: string;
  title: string;
  editor: SectionEditorState;
}

/** A section's Markdown editor beside its live preview, with save and discard. */
export const SectionEditor = ({
  sectionKey,
  title,
  editor,
}: SectionEditorProps) => {
  const classes = useStyles();
  const { text, restoredAt, error, saving, dirty } = editor;
  const focusRing = useFocusRing();
  // A disabled button cannot be focused: the reason is written beside it.
  const reasonId = `section-editor-${sectionKey}-save-reason`;
  const unchanged = !saving && !dirty;
  return (
    <>
      {restoredAt && (
        <Alert severity="info" className={classes.spaced}>
          Restored your unsaved edit from {formatDateTime(restoredAt)}.
        </Alert>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <TextField
            id={`section-editor-${sectionKey}`}
            label={`${title} (Markdown)`}
            value={text}
            onChange={e => editor.change(e.target.value)}
            onKeyDown={editor.onKeyDown}
            multiline
            minRows={10}
            fullWidth
            variant="outlined"
            inputRef={editor.editorRef}
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
            <PostmortemMarkdown content={text} />
          </Box>
        </Grid>
      </Grid>
      {error && (
        <Alert
          severity="error"
          className={classes.spaced}
          style={{ marginTop: 16 }}
        >
          Not saved: {error.message}. Your text is kept in this browser; try
          again when the problem is solved.
        </Alert>
      )}
      <Box className={classes.actions}>
        <Button
          variant="contained"
          color="primary"
          {...focusRing}
          onClick={editor.save}
          disabled={saving || !dirty}
          aria-describedby={unchanged ? reasonId : undefined}
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
        <Button onClick={editor.discard} disabled={saving}>
          {dirty ? 'Discard changes' : 'Close editor'}
        </Button>
        {unchanged && (
          <Typography
            variant="caption"
            id={reasonId}
            className={classes.reason}
          >
            Nothing to save yet: the text is the same as the saved version.
          </Typography>
        )}
      </Box>
    </>
  );
};
