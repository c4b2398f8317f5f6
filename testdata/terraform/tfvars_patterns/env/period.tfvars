period = 300
