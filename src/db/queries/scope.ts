/** The workspace every query is confined to. */
export interface WorkspaceScope {
  teamId: string;
  enterpriseId: string | null;
}
