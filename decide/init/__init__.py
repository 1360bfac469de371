"""Setting decide up in a repository: ``setup`` (what decide init writes), ``ci`` (workflow templates), ``edits`` (changing a team's files as text), ``source`` (where decide came from)."""
