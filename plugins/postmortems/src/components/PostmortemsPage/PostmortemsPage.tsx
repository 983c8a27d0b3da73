import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
} from '@backstage/core-components';

/**
 * The org-wide Post-Mortems page reached from the sidebar.
 *
 * @public
 */
export const PostmortemsPage = () => (
  <Page themeId="tool">
    <Header
      title="Post-Mortems"
      subtitle="Learn from every incident, track every action item"
    />
    <Content>
      <ContentHeader title="All post-mortems" />
      <EmptyState
        missing="data"
        title="No post-mortems yet"
        description="Post-mortems appear here once incidents are resolved and written up."
      />
    </Content>
  </Page>
);
