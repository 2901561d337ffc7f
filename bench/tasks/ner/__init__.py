"""The named-entity task: gold types, label views, grounding, matching and scoring."""
