"""Never imports learner code: the runner, the sandbox, the one verdict and the outputs."""
