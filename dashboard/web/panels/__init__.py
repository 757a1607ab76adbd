"""web/panels"""
