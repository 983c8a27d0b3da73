import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Chip,
  ListItemIcon,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import type {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import {
  HighlightedSearchResultText,
  useSearch,
  useSearchContextCheck,
} from '@backstage/plugin-search-react';
import type { IncidentSeverity } from '@postmortems-oss/backstage-plugin-postmortems-common';
import { ReactNode } from 'react';
import {
  markWords,
  partsOfHighlight,
  snippetAround,
  TextPart,
  windowAround,
} from '../../domain/searchSnippet';
import { formatDate } from '../../domain/time';
import { secondaryText } from '../accessibility';
import { SeverityChip } from '../IncidentChips';

/**
 * The search document of a published post-mortem (type `postmortem`).
 *
 * @public
 */
export interface PostmortemSearchDocument extends SearchDocument {
  incident_reference?: string;
  severity?: IncidentSeverity;
  services?: string[];
  published_at?: string;
  root_cause?: string;
}

const useStyles = makeStyles(theme => ({
  item: { display: 'flex' },
  text: {
    width: '100%',
    wordBreak: 'break-word',
    marginBottom: theme.spacing(1),
  },
  // Results are listed on the page background, where the theme's grey text
  // is just under 4.5:1.
  subtle: { color: secondaryText(theme) },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

function serviceName(ref: string): string {
  try {
    const { name } = parseEntityRef(ref, { defaultKind: 'component' });
    return name;
  } catch {
    return ref;
  }
}

/** @public */
export interface PostmortemSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
  /** Lines of the snippet shown; 3 by default. */
  lineClamp?: number;
}

/** Text parts as React nodes, the searched words in `<mark>`. */
const Marked = ({ parts }: { parts: TextPart[] }) => (
  <>
    {parts.map((part, i) =>
      part.match ? <mark key={i}>{part.text}</mark> : part.text,
    )}
  </>
);

const PostmortemResult = (
  props: PostmortemSearchResultListItemProps & { term: string },
) => {
  const classes = useStyles();
  const result = props.result as PostmortemSearchDocument | undefined;
  if (!result) return null;
  const { highlight, term } = props;
  const title = highlight?.fields.title ? (
    <HighlightedSearchResultText
      text={highlight.fields.title}
      preTag={highlight.preTag}
      postTag={highlight.postTag}
    />
  ) : (
    <Marked parts={markWords(result.title, term)} />
  );
  // Around the first match: the engine's highlight (Lunr's holds the whole
  // text), or the searched words found in the text; else the root cause.
  const around = highlight?.fields.text
    ? windowAround(
        partsOfHighlight(
          highlight.fields.text,
          highlight.preTag,
          highlight.postTag,
        ),
      )
    : snippetAround(result.text ?? '', term);
  const snippet = around ? (
    <Marked parts={around} />
  ) : (
    result.root_cause ?? result.text
  );
  return (
    <Box className={classes.item}>
      {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
      <Box flex={1}>
        <ListItemText
          className={classes.text}
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              {title}
            </Link>
          }
          secondary={
            <Typography
              component="span"
              variant="body2"
              className={classes.subtle}
              style={{
                display: '-webkit-box',
                WebkitBoxOrient: 'vertical',
                WebkitLineClamp: props.lineClamp ?? 3,
                overflow: 'hidden',
              }}
            >
              {snippet}
            </Typography>
          }
        />
        <Box className={classes.meta}>
          {result.incident_reference && (
            <Chip size="small" label={result.incident_reference} />
          )}
          {result.severity && <SeverityChip severity={result.severity} />}
          {(result.services ?? []).map(ref => (
            <Chip
              key={ref}
              size="small"
              variant="outlined"
              label={`Service: ${serviceName(ref)}`}
            />
          ))}
          {result.published_at && (
            <Typography variant="caption" className={classes.subtle}>
              Published {formatDate(result.published_at)}
            </Typography>
          )}
        </Box>
      </Box>
    </Box>
  );
};

const ItemWithTerm = (props: PostmortemSearchResultListItemProps) => {
  const { term } = useSearch();
  return <PostmortemResult {...props} term={term} />;
};

/**
 * A post-mortem in the search results: title, incident, severity, services,
 * publication date and a snippet around the match with the searched words
 * highlighted. The search engine's highlight is used when it gives one;
 * otherwise the snippet is cut from the document's text around the first of
 * the searched words (the term is read from the search context).
 *
 * @public
 */
export const PostmortemSearchResultListItem = (
  props: PostmortemSearchResultListItemProps,
) => {
  // Rendered outside a search page (e.g. in a test or another list) there is
  // no term to look for.
  const inSearch = useSearchContextCheck();
  return inSearch ? (
    <ItemWithTerm {...props} />
  ) : (
    <PostmortemResult {...props} term="" />
  );
};
