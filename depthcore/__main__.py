"""`python -m depthcore ...` (what torchrun launches: `torchrun --nproc-per-node N -m depthcore run --fsdp ...`)."""

from depthcore.cli import main

raise SystemExit(main())
