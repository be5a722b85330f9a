"""Reading the syntax of a post: Markdown positions, HTML runs, the pieces of a unit, YAML
scalars, escaping, the block signature. Private to the stages."""
