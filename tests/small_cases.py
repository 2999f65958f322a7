"""Small parameter files that the Python tests vary (fuzz, faults): each
runs in about a second."""

# a `both` run with fields and Adapt x in 1-D, and a 2-D run and tumble
# with Adapt x: short (End time 0.05 and 0.1), small
BASE_1D = """set Dimension = 1
set Model = both
set End time = 0.05
subsection Domain
  set Upper corner = 4
  set Boundary = reflecting
end
subsection Signal
  set Type = reaction-diffusion
  set Log-concentration = 2*log(1 + S/0.1)
  subsection Reaction-diffusion
    set Fields = S
    set Diffusion = 1
    set Reaction = -S + rho
    set Initial values = 0
  end
end
subsection Initial condition
  set Density = exp(-(x - 1.5)^2)
end
subsection Internal state
  set Epsilon = 0.2
end
subsection Discretization
  set Refinement = 3
end
subsection Adaptive refinement
  set Adapt x = true
  set Maximum x level = 5
end
subsection Output
  set Time between outputs = 0.025
  set Postprocessors = statistics
end
subsection Checkpointing
  set Steps between checkpoints = 5
end
"""

BASE_2D = """set Dimension = 2
set Model = run and tumble
set End time = 0.1
subsection Domain
  set Lower corner = 0, 0
  set Upper corner = 2, 2
end
subsection Signal
  set Log-concentration = x
end
subsection Initial condition
  set Density = exp(-(x-1)^2 - (y-1)^2)
end
subsection Velocity space
  set Number of directions = 8
end
subsection Discretization
  set Refinement = 3
end
subsection Adaptive refinement
  set Adapt x = true
  set Maximum x level = 5
end
subsection Output
  set Time between outputs = 0.05
  set Postprocessors = statistics
end
"""

# the signalling pathway (`both`: the frame relative to the signal beside its
# limit) in a MeAsp gradient across K_A, physical units (um, s): short
BASE_PATHWAY_1D = """set Dimension = 1
set Model = both
set End time = 2
subsection Domain
  set Upper corner = 2000
  set Boundary = reflecting
end
subsection Velocity space
  set Speed = 20
end
subsection Signal
  set Log-concentration = log(1000) + x/1000
end
subsection Tumbling
  set Rate = 2*a^10/(a^10 + (1/3)^10)
end
subsection Initial condition
  set Density = 1
end
subsection Internal state
  set Dynamics = pathway
end
subsection Discretization
  set Refinement = 3
end
subsection Output
  set Time between outputs = 1
  set Postprocessors = statistics
end
"""
