"""The content store: each article's markdown and structured result, as objects."""
