# key-account tiering

# credit sales

# contract approval

# quality gate

# after-sales service

