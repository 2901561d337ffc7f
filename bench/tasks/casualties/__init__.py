"""The casualty-figure task: hedged and vague counts of killed, injured, kidnapped…"""
