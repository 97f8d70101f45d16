"""Backups: `murasil backup` writes the database and the media folder into one verified archive,
`murasil restore` puts one back (see docs/backup.md)."""
