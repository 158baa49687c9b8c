"""What landwater computes: pure numeric kernels and the orchestration that runs them."""
