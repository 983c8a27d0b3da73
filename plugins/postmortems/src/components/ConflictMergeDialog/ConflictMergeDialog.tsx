import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';

export interface ConflictMergeDialogProps {
  open: boolean;
  sectionTitle: string;
  /** The section as it is saved now. */
  theirs: string;
  /** Who saved it and in which version, in words. */
  theirsLabel: string;
  /** The local, unsaved text. */
  mine: string;
  saving?: boolean;
  error?: Error;
  /** Drop the local text and show the saved one. */
  onTakeTheirs(): void;
  /** Save this text on top of the saved version. */
  onSaveMerged(text: string): void;
  /** Close the dialog and go on editing the local text. */
  onKeepEditing(): void;
}

/**
 * Someone saved the section while it was being edited: both versions side by
 * side, and a merge box (starting from the local text) to save on top of
 * theirs. The local text stays in the browser until one of them is saved.
 */
export const ConflictMergeDialog = (props: ConflictMergeDialogProps) => {
  const { open, sectionTitle, theirs, theirsLabel, mine, saving, error } =
    props;
  const [merged, setMerged] = useState(mine);
  const [copied, setCopied] = useState<string>();

  useEffect(() => {
    if (open) {
      setMerged(mine);
      setCopied(undefined);
    }
  }, [open, mine]);

  const copyMine = async () => {
    try {
      await navigator.clipboard.writeText(mine);
      setCopied('Your text is on the clipboard.');
    } catch {
      setCopied(
        'The clipboard is not available; select your text above and copy it.',
      );
    }
  };

  return (
    <Dialog
      open={open}
      onClose={props.onKeepEditing}
      maxWidth="lg"
      fullWidth
      aria-labelledby="merge-dialog-title"
    >
      <DialogTitle id="merge-dialog-title">
        “{sectionTitle}” was changed while you were editing
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Your text has not been saved yet and is kept in this browser. Compare
          both versions, combine them in the merged text, and save it on top of
          the current version.
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <TextField
              id="merge-theirs"
              label={`Current version (${theirsLabel})`}
              value={theirs}
              multiline
              minRows={8}
              maxRows={16}
              fullWidth
              variant="outlined"
              InputProps={{ readOnly: true }}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              id="merge-mine"
              label="Your version (not saved)"
              value={mine}
              multiline
              minRows={8}
              maxRows={16}
              fullWidth
              variant="outlined"
              InputProps={{ readOnly: true }}
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              id="merge-result"
              label="Merged text"
              value={merged}
              onChange={e => setMerged(e.target.value)}
              multiline
              minRows={6}
              maxRows={20}
              fullWidth
              variant="outlined"
              helperText="Starts as your version; this is what “Save on top” saves."
            />
          </Grid>
        </Grid>
        {copied && (
          <Alert severity="info" style={{ marginTop: 16 }}>
            {copied}
          </Alert>
        )}
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            Saving failed: {error.message}. Your text is still kept here.
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={copyMine}>Copy my text</Button>
        <Button onClick={props.onTakeTheirs} disabled={saving}>
          Take theirs
        </Button>
        <Button onClick={props.onKeepEditing} disabled={saving}>
          Keep editing
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={saving}
          onClick={() => props.onSaveMerged(merged)}
        >
          Save on top of current version
        </Button>
      </DialogActions>
    </Dialog>
  );
};
