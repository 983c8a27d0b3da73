import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  makeStyles,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import type { PostmortemTemplate } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useEffect, useState } from 'react';
import { TemplateInput } from '../../api';

interface SectionDraft {
  /** Kept for existing sections so that drafts still match them. */
  key?: string;
  title: string;
  required: boolean;
  questions: string;
}

interface TemplateDraft {
  name: string;
  description: string;
  sections: SectionDraft[];
  categories: string;
  reviewers: string;
}

const useStyles = makeStyles(theme => ({
  section: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  sectionHead: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

function draftOf(template?: PostmortemTemplate): TemplateDraft {
  if (!template) {
    return {
      name: '',
      description: '',
      sections: [{ title: 'Summary', required: true, questions: '' }],
      categories: 'prevention, detection, mitigation',
      reviewers: '',
    };
  }
  return {
    name: template.name,
    description: template.description,
    sections: template.sections.map(s => ({
      key: s.key,
      title: s.title,
      required: s.required,
      questions: s.guiding_questions.join('\n'),
    })),
    categories: template.action_item_categories.join(', '),
    reviewers: (template.reviewers ?? []).join(', '),
  };
}

function inputOf(draft: TemplateDraft): TemplateInput {
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    sections: draft.sections.map(s => ({
      ...(s.key ? { key: s.key } : {}),
      title: s.title.trim(),
      required: s.required,
      guiding_questions: s.questions
        .split('\n')
        .map(q => q.trim())
        .filter(Boolean),
    })),
    action_item_categories: draft.categories
      .split(',')
      .map(c => c.trim())
      .filter(Boolean),
    reviewers: draft.reviewers
      .split(',')
      .map(r => r.trim())
      .filter(Boolean),
  };
}

/**
 * Creates or edits a template: its sections (title, required, guiding
 * questions) in order, and the categories proposed for action items.
 * Built-in templates open read-only.
 */
export const TemplateEditor = ({
  open,
  template,
  readOnly,
  saving,
  error,
  onSave,
  onCopy,
  onClose,
}: {
  open: boolean;
  /** Undefined for a new template. */
  template?: PostmortemTemplate;
  readOnly?: boolean;
  saving?: boolean;
  error?: Error;
  onSave(input: TemplateInput): void;
  onCopy?(): void;
  onClose(): void;
}) => {
  const classes = useStyles();
  const [draft, setDraft] = useState<TemplateDraft>(() => draftOf(template));

  useEffect(() => {
    if (open) setDraft(draftOf(template));
  }, [open, template]);

  const set = (change: Partial<TemplateDraft>) =>
    setDraft(d => ({ ...d, ...change }));
  const setSection = (index: number, change: Partial<SectionDraft>) =>
    set({
      sections: draft.sections.map((s, i) =>
        i === index ? { ...s, ...change } : s,
      ),
    });
  const move = (index: number, by: -1 | 1) => {
    const sections = [...draft.sections];
    const [moved] = sections.splice(index, 1);
    sections.splice(index + by, 0, moved);
    set({ sections });
  };

  const invalid =
    !draft.name.trim() ||
    draft.sections.length === 0 ||
    draft.sections.some(s => !s.title.trim());
  let title = 'New template';
  if (template) title = readOnly ? template.name : `Edit ${template.name}`;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="template-editor-title"
    >
      <DialogTitle id="template-editor-title">{title}</DialogTitle>
      <DialogContent>
        {readOnly && (
          <Alert severity="info" style={{ marginBottom: 16 }}>
            Built-in templates cannot be changed. Copy this one to adapt it.
          </Alert>
        )}
        <TextField
          id="template-name"
          label="Name"
          value={draft.name}
          onChange={e => set({ name: e.target.value })}
          fullWidth
          required
          margin="normal"
          variant="outlined"
          InputProps={{ readOnly }}
        />
        <TextField
          id="template-description"
          label="Description"
          value={draft.description}
          onChange={e => set({ description: e.target.value })}
          fullWidth
          margin="normal"
          variant="outlined"
          InputProps={{ readOnly }}
        />
        <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
          Sections
        </Typography>
        <Box role="list" aria-label="Template sections">
          {draft.sections.map((section, index) => (
            <Paper
              key={index}
              variant="outlined"
              className={classes.section}
              role="listitem"
              aria-label={`Section ${index + 1}: ${
                section.title || 'untitled'
              }`}
            >
              <Box className={classes.sectionHead}>
                <TextField
                  id={`template-section-${index}-title`}
                  label={`Section ${index + 1} title`}
                  value={section.title}
                  onChange={e => setSection(index, { title: e.target.value })}
                  size="small"
                  variant="outlined"
                  required
                  style={{ flex: 1 }}
                  InputProps={{ readOnly }}
                />
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={section.required}
                      disabled={readOnly}
                      onChange={e =>
                        setSection(index, { required: e.target.checked })
                      }
                    />
                  }
                  label="Required"
                />
                {!readOnly && (
                  <>
                    <IconButton
                      size="small"
                      aria-label={`Move ${section.title || 'section'} up`}
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                    >
                      <ArrowUpwardIcon fontSize="small" />
                    </IconButton>
                    <IconButton
                      size="small"
                      aria-label={`Move ${section.title || 'section'} down`}
                      disabled={index === draft.sections.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <ArrowDownwardIcon fontSize="small" />
                    </IconButton>
                    <IconButton
                      size="small"
                      aria-label={`Remove ${section.title || 'section'}`}
                      disabled={draft.sections.length === 1}
                      onClick={() =>
                        set({
                          sections: draft.sections.filter(
                            (_s, i) => i !== index,
                          ),
                        })
                      }
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  </>
                )}
              </Box>
              <TextField
                id={`template-section-${index}-questions`}
                label={`Guiding questions for ${
                  section.title || `section ${index + 1}`
                }`}
                helperText="One question per line; the author and the model answer them."
                value={section.questions}
                onChange={e => setSection(index, { questions: e.target.value })}
                multiline
                minRows={2}
                fullWidth
                margin="dense"
                variant="outlined"
                InputProps={{ readOnly }}
              />
            </Paper>
          ))}
        </Box>
        {!readOnly && (
          <Button
            onClick={() =>
              set({
                sections: [
                  ...draft.sections,
                  { title: '', required: false, questions: '' },
                ],
              })
            }
          >
            Add section
          </Button>
        )}
        <TextField
          id="template-categories"
          label="Action item categories"
          helperText="Separated by commas, e.g. prevention, detection, mitigation"
          value={draft.categories}
          onChange={e => set({ categories: e.target.value })}
          fullWidth
          margin="normal"
          variant="outlined"
          InputProps={{ readOnly }}
        />
        <TextField
          id="template-reviewers"
          label="Reviewers before publishing"
          helperText="User or group refs separated by commas, or owners for the owners of the affected services; empty: publishing needs no review"
          value={draft.reviewers}
          onChange={e => set({ reviewers: e.target.value })}
          fullWidth
          margin="normal"
          variant="outlined"
          InputProps={{ readOnly }}
        />
        {error && <Alert severity="error">{error.message}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          {readOnly ? 'Close' : 'Cancel'}
        </Button>
        {readOnly && onCopy && (
          <Button color="primary" variant="contained" onClick={onCopy}>
            Copy
          </Button>
        )}
        {!readOnly && (
          <Button
            color="primary"
            variant="contained"
            disabled={saving || invalid}
            onClick={() => onSave(inputOf(draft))}
          >
            Save template
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
