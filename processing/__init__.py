"""What landwater computes: numeric kernels (kernels/) and the orchestration that runs them."""
