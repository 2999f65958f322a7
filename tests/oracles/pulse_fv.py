#!/usr/bin/python3
"""Independent oracle for the 1-D travelling pulse of
parameter_files/pulse_1d.prm: the same equations solved by finite volumes
and a stiff ODE integrator (method of lines), no code shared with chemokin.

Two speeds v = +-1 (weights 1, uniform turning kernel), reflecting walls:

    d_t p+ + d_x p+ = (Lbar(mu-) p- - Lbar(mu+) p+) / 2,    mu+- = d_tM +- d_xM
    d_t p- - d_x p- = (Lbar(mu+) p+ - Lbar(mu-) p-) / 2
    d_t S = D_S S_xx - S + rho,   d_t G = D_G G_xx - rho G,   rho = p+ + p-
    M = 20 log(1 + S/0.1) + 10 log(1 + G/0.1),  d_tM by the chain rule
    Lbar(mu) = E[lambda(Y - mu)], Y ~ N(0, 1), lambda(z) = 1 + 0.9 tanh(z)

Cell averages with third-order upwind-biased fluxes, the walls by
mirror ghost cells (p+ and p- swap), zero-flux fields by mirrored ghosts,
scipy's BDF integrator with a banded Jacobian pattern. Prints the pulse
speed, (x_mean(t2) - x_mean(t1)) / (t2 - t1).
"""
import argparse

import numpy as np
from scipy.integrate import solve_ivp
from scipy.sparse import diags

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--cells", type=int, default=800)
parser.add_argument("--length", type=float, default=40.0)
parser.add_argument("--t1", type=float, default=40.0)
parser.add_argument("--t2", type=float, default=60.0)
parser.add_argument("--diffusion", type=float, nargs=2, default=[1.0, 1.0])
args = parser.parse_args()

N, L = args.cells, args.length
h = L / N
x = (np.arange(N) + 0.5) * h
D_S, D_G = args.diffusion

y, w = np.polynomial.hermite_e.hermegauss(80)
w = w / np.sqrt(2 * np.pi)


def lambda_bar(mu):
    return (w[None, :] * (1 + 0.9 * np.tanh(y[None, :] - mu[:, None]))).sum(axis=1)


def extend_pair(plus, minus):
    """p+ and p- with two ghost cells per side: a wall reflects one into the other"""
    ep = np.concatenate((minus[1::-1], plus, minus[:-3:-1]))
    em = np.concatenate((plus[1::-1], minus, plus[:-3:-1]))
    return ep, em


def extend_mirror(f):
    return np.concatenate((f[1::-1], f, f[:-3:-1]))


def face_flux(ext, velocity):
    """v * (face value) at the N + 1 faces, third-order upwind-biased"""
    if velocity > 0:
        # face i+1/2 from cells i-1, i, i+1 (ext index j = i + 2)
        a, b, c = ext[0:N + 1], ext[1:N + 2], ext[2:N + 3]
        return (-a + 5 * b + 2 * c) / 6
    a, b, c = ext[1:N + 2], ext[2:N + 3], ext[3:N + 4]
    return -(2 * a + 5 * b - c) / 6


def laplacian(f):
    e = extend_mirror(f)
    return (e[1:N + 1] - 2 * e[2:N + 2] + e[3:N + 3]) / h**2


def rhs(t, u):
    plus, minus, S, G = u[0::4], u[1::4], u[2::4], u[3::4]
    rho = plus + minus
    dS = D_S * laplacian(S) - S + rho
    dG = D_G * laplacian(G) - rho * G
    M = 20 * np.log1p(S / 0.1) + 10 * np.log1p(G / 0.1)
    dtM = 20 / (0.1 + S) * dS + 10 / (0.1 + G) * dG
    eM = extend_mirror(M)
    dxM = (eM[3:N + 3] - eM[1:N + 1]) / (2 * h)
    lp, lm = lambda_bar(dtM + dxM), lambda_bar(dtM - dxM)
    ep, em = extend_pair(plus, minus)
    fp, fm = face_flux(ep, +1), face_flux(em, -1)
    du = np.empty_like(u)
    du[0::4] = -(fp[1:] - fp[:-1]) / h + 0.5 * (lm * minus - lp * plus)
    du[1::4] = -(fm[1:] - fm[:-1]) / h + 0.5 * (lp * plus - lm * minus)
    du[2::4] = dS
    du[3::4] = dG
    return du


u0 = np.zeros(4 * N)
# cell averages of rho0 = exp(-(x - 5)^2) (Simpson's rule per cell)
xl, xr = x - h / 2, x + h / 2
rho0 = (np.exp(-(xl - 5)**2) + 4 * np.exp(-(x - 5)**2) + np.exp(-(xr - 5)**2)) / 6
u0[0::4] = rho0 / 2
u0[1::4] = rho0 / 2
u0[3::4] = 1.0
band = 4 * 4 + 3
pattern = diags([np.ones(4 * N - abs(k)) for k in range(-band, band + 1)],
                list(range(-band, band + 1)), format="csc")
solution = solve_ivp(rhs, (0, args.t2), u0, method="BDF", t_eval=[args.t1, args.t2],
                     rtol=1e-7, atol=1e-10, jac_sparsity=pattern)
assert solution.success, solution.message


def mean_position(u):
    rho = u[0::4] + u[1::4]
    return (x * rho).sum() / rho.sum()


x1, x2 = mean_position(solution.y[:, 0]), mean_position(solution.y[:, 1])
mass = h * (solution.y[0::4, 1] + solution.y[1::4, 1]).sum()
print("cells %d  mass %.12f  x_mean(%g) = %.6f  x_mean(%g) = %.6f  speed %.6f"
      % (N, mass, args.t1, x1, args.t2, x2, (x2 - x1) / (args.t2 - args.t1)))
