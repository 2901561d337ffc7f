"""Model-free baseline systems. They never read gold files."""
