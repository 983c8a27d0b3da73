import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import type { PostmortemTemplate } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  postmortemsApiRef,
  ProviderTestResult,
  TemplateInput,
} from '../../api';
import { TemplateEditor } from './TemplateEditor';

type Editing =
  | { mode: 'new' }
  | { mode: 'edit'; template: PostmortemTemplate }
  | { mode: 'view'; template: PostmortemTemplate };

/** Templates: list, create, edit, copy a built-in, set active, delete. */
export const TemplatesCard = () => {
  const api = useApi(postmortemsApiRef);
  const templates = useAsyncRetry(() => api.listTemplates(), [api]);
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<PostmortemTemplate>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [editorError, setEditorError] = useState<Error>();

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      templates.retry();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const save = async (input: TemplateInput) => {
    setBusy(true);
    setEditorError(undefined);
    try {
      if (editing?.mode === 'edit') {
        await api.updateTemplate(editing.template.id, input);
      } else {
        await api.createTemplate(input);
      }
      setEditing(undefined);
      templates.retry();
    } catch (e) {
      setEditorError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const copy = (template: PostmortemTemplate) =>
    act(async () => {
      const created = await api.copyTemplate(template.id);
      // The copy is meant to be adapted: open it right away.
      setEditing({ mode: 'edit', template: created });
    });

  let body;
  if (templates.loading && !templates.value) {
    body = <Progress />;
  } else if (templates.error) {
    body = <ResponseErrorPanel error={templates.error} />;
  } else {
    body = (
      <Table size="small" aria-label="Templates">
        <TableHead>
          <TableRow>
            <TableCell>Template</TableCell>
            <TableCell>Sections</TableCell>
            <TableCell align="right">Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {(templates.value ?? []).map(template => (
            <TableRow key={template.id}>
              <TableCell>
                <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                  <Typography variant="body1">{template.name}</Typography>
                  {template.is_active && (
                    <Chip size="small" color="primary" label="Active" />
                  )}
                  {template.is_builtin && (
                    <Chip size="small" variant="outlined" label="Built-in" />
                  )}
                </Box>
                <Typography variant="body2" color="textSecondary">
                  {template.description}
                </Typography>
              </TableCell>
              <TableCell>
                {template.sections.map(s => s.title).join(' · ')}
              </TableCell>
              <TableCell align="right">
                <Box
                  display="flex"
                  justifyContent="flex-end"
                  flexWrap="wrap"
                  style={{ gap: 4 }}
                >
                  {!template.is_active && (
                    <Button
                      size="small"
                      disabled={busy}
                      onClick={() =>
                        act(() => api.activateTemplate(template.id))
                      }
                      aria-label={`Set ${template.name} active`}
                    >
                      Set active
                    </Button>
                  )}
                  <Button
                    size="small"
                    disabled={busy}
                    onClick={() => {
                      setEditorError(undefined);
                      setEditing({
                        mode: template.is_builtin ? 'view' : 'edit',
                        template,
                      });
                    }}
                    aria-label={`${template.is_builtin ? 'View' : 'Edit'} ${
                      template.name
                    }`}
                  >
                    {template.is_builtin ? 'View' : 'Edit'}
                  </Button>
                  <Button
                    size="small"
                    disabled={busy}
                    onClick={() => copy(template)}
                    aria-label={`Copy ${template.name}`}
                  >
                    Copy
                  </Button>
                  {!template.is_builtin && (
                    <Button
                      size="small"
                      disabled={busy || template.is_active}
                      onClick={() => setDeleting(template)}
                      aria-label={`Delete ${template.name}`}
                    >
                      Delete
                    </Button>
                  )}
                </Box>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard
      title="Post-mortem templates"
      subheader="The active template is the default for new post-mortems."
      action={
        <Button
          startIcon={<AddIcon />}
          onClick={() => {
            setEditorError(undefined);
            setEditing({ mode: 'new' });
          }}
          style={{ marginTop: 8 }}
        >
          New template
        </Button>
      }
    >
      {error && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          {error.message}
        </Alert>
      )}
      {body}
      <TemplateEditor
        open={Boolean(editing)}
        template={
          editing && editing.mode !== 'new' ? editing.template : undefined
        }
        readOnly={editing?.mode === 'view'}
        saving={busy}
        error={editorError}
        onSave={save}
        onCopy={
          editing?.mode === 'view' ? () => copy(editing.template) : undefined
        }
        onClose={() => setEditing(undefined)}
      />
      <Dialog
        open={Boolean(deleting)}
        onClose={() => setDeleting(undefined)}
        aria-labelledby="delete-template-title"
      >
        <DialogTitle id="delete-template-title">
          Delete {deleting?.name}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Post-mortems written with it keep their sections.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={busy}
            onClick={() => {
              const target = deleting!;
              setDeleting(undefined);
              act(() => api.deleteTemplate(target.id));
            }}
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
    </InfoCard>
  );
};

/** Which model writes drafts (never its key), and a connection test. */
export const ProviderCard = () => {
  const api = useApi(postmortemsApiRef);
  const status = useAsyncRetry(() => api.getProviderStatus(), [api]);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ProviderTestResult>();
  const [testError, setTestError] = useState<Error>();

  const test = async () => {
    setTesting(true);
    setResult(undefined);
    setTestError(undefined);
    try {
      setResult(await api.testProvider());
    } catch (e) {
      setTestError(e as Error);
    } finally {
      setTesting(false);
    }
  };

  let body;
  if (status.loading && !status.value) {
    body = <Progress />;
  } else if (status.error) {
    body = <ResponseErrorPanel error={status.error} />;
  } else if (status.value) {
    const provider = status.value;
    body = (
      <>
        <Table size="small" aria-label="Model provider">
          <TableBody>
            <TableRow>
              <TableCell
                component="th"
                scope="row"
                style={{ whiteSpace: 'nowrap' }}
              >
                Provider
              </TableCell>
              <TableCell>
                {provider.provider === 'openai'
                  ? 'OpenAI-compatible model'
                  : 'Deterministic (no model; drafts from the evidence)'}
              </TableCell>
            </TableRow>
            {provider.provider === 'openai' && (
              <>
                <TableRow>
                  <TableCell
                    component="th"
                    scope="row"
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    Model
                  </TableCell>
                  <TableCell>{provider.model ?? '—'}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell
                    component="th"
                    scope="row"
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    Endpoint
                  </TableCell>
                  <TableCell>{provider.base_url ?? '—'}</TableCell>
                </TableRow>
              </>
            )}
            <TableRow>
              <TableCell
                component="th"
                scope="row"
                style={{ whiteSpace: 'nowrap' }}
              >
                Configured
              </TableCell>
              <TableCell>
                {provider.configured ? (
                  <StatusOK>Yes</StatusOK>
                ) : (
                  <StatusWarning>
                    No: drafts fall back to the deterministic writer
                  </StatusWarning>
                )}
              </TableCell>
            </TableRow>
          </TableBody>
        </Table>
        <Box mt={2} display="flex" alignItems="center" style={{ gap: 16 }}>
          <Button variant="outlined" onClick={test} disabled={testing}>
            {testing ? 'Testing…' : 'Test connection'}
          </Button>
          <Box role="status" aria-live="polite">
            {result &&
              (result.ok ? (
                <StatusOK>{result.message}</StatusOK>
              ) : (
                <StatusError>{result.message}</StatusError>
              ))}
            {testError && (
              <StatusError>
                The test could not run: {testError.message}
              </StatusError>
            )}
          </Box>
        </Box>
      </>
    );
  }

  return (
    <InfoCard
      title="Model provider"
      subheader="Set in app-config under postmortems; the key is never shown."
    >
      {body}
    </InfoCard>
  );
};

/**
 * Settings of Post-Mortems: templates and the model provider. Mount it as a
 * tab of the user settings page, or use the Post-Mortems page's Settings tab.
 *
 * @public
 */
export const PostmortemSettings = () => (
  <Grid container spacing={3}>
    <Grid item xs={12} lg={8}>
      <TemplatesCard />
    </Grid>
    <Grid item xs={12} lg={4}>
      <ProviderCard />
    </Grid>
  </Grid>
);
