"""The watchfloor benchmark (`make bench`): see bench/README.md."""
