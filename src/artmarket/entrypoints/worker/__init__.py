"""Workers and the scheduler: the taskiq dispatch task and the periodic jobs."""
